import subprocess
import sys

import pytest
from asgiref.local import Local
from django.conf import settings
from django.utils.translation import trans_real

from ocophub.accounts.models import User


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("root", "root@example.vn", "pw-for-tests-1")


@pytest.fixture
def compiled_catalogues():
    """Compile the .po files with the project's own script, as `make` does."""
    subprocess.run(
        [sys.executable, "scripts/compile_messages.py"], cwd=settings.BASE_DIR, check=True
    )
    trans_real._active = Local()
    trans_real._translations = {}
    trans_real._default = None
