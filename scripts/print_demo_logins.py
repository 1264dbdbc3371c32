"""Print the URL and demo logins before the server starts."""

import os
import sys

import django

sys.path.insert(0, ".")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocophub.settings")
django.setup()
from ocophub.accounts.demo import DEMO_USERS, password_for  # noqa: E402
from ocophub.accounts.models import Role  # noqa: E402
from ocophub.market.demo import BUYER  # noqa: E402

host, port = sys.argv[1], sys.argv[2]
print(f"\nOCOP Hub: http://{host}:{port}/   (API docs: http://{host}:{port}/api/v1/docs)")
print("Demo logins (username / password — role):")
for username, role, name, _title in DEMO_USERS:
    print(f"  {username:<10} {password_for(username):<24} {role.label} — {name}")
# The market's demo makes the buyer (a distributor with trade enquiries).
buyer, buyer_name = BUYER
print(f"  {buyer:<10} {password_for(buyer):<24} {Role.BUYER.label} — {buyer_name}")
print(f"  {'admin':<10} {password_for('admin'):<24} superuser (Django admin at /admin/)\n")
