import pytest


@pytest.fixture
def admin_user(db):
    from ocophub.accounts.models import User

    return User.objects.create_superuser("root", "root@example.vn", "pw-for-tests-1")
