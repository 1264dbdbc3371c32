import pytest


@pytest.fixture
def admin_user(db):
    from ocophub.accounts.models import User

    return User.objects.create_superuser("root", "root@example.vn", "pw-for-tests-1")


@pytest.fixture
def compiled_catalogues():
    """Compile the .po files with the project's own script, as `make` does."""
    import subprocess
    import sys

    from asgiref.local import Local
    from django.conf import settings
    from django.utils.translation import trans_real

    subprocess.run(
        [sys.executable, "scripts/compile_messages.py"], cwd=settings.BASE_DIR, check=True
    )
    trans_real._active = Local()
    trans_real._translations = {}
    trans_real._default = None
