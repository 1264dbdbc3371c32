"""Paging parameters out of range are refused in the API's error shape, not a server
error (found by Schemathesis: a negative offset, an offset past 64 bits)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("resource", ["areas", "facilities"])
@pytest.mark.parametrize("offset", ["-1", str(2**70)])
def test_an_offset_out_of_range_is_refused(client, resource, offset):
    response = client.get(f"/api/v1/compliance/{resource}", {"offset": offset})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"][-1] == "offset"
    assert client.get(f"/api/v1/compliance/{resource}", {"offset": "0"}).status_code == 200
