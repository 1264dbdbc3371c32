"""Backups: one dated archive holding a consistent snapshot of the database (SQLite's
online backup API, or `pg_dump` in its custom format) and the uploaded files (MEDIA_ROOT
and PRIVATE_MEDIA_ROOT), and the restore of such an archive. `manage.py backup` and
`manage.py restore` are the commands; this module does the work."""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
# The uploaded files' folders and their names inside the archive.
MEDIA_FOLDERS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_env(alias: str) -> dict[str, str]:
    """libpq's variables for the database of `alias` (a password never on a command line)."""
    db = connections[alias].settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = db["NAME"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from exc
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _dump_database(alias: str, engine: str, folder: Path) -> str:
    connection = connections[alias]
    if engine == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / "db.sqlite3")
        try:
            # One step: a read snapshot of the whole database, writers carry on (WAL).
            connection.connection.backup(target)
        finally:
            target.close()
        return "db.sqlite3"
    _run(["pg_dump", "--format=custom", "--file", str(folder / "db.dump")], _pg_env(alias))
    return "db.dump"


def _add_folder(archive: tarfile.TarFile, root: Path, name: str) -> int:
    files = 0
    if root.is_dir():
        archive.add(root, arcname=name)
        files = sum(1 for path in root.rglob("*") if path.is_file())
    return files


def backup(directory: Path, alias: str = "default") -> Path:
    """Write `ocophub-YYYYMMDD-HHMMSS.tar.gz` (UTC) into `directory`; return its path.
    The archive appears only once complete."""
    engine = _engine(alias)
    if connections[alias].in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction.")
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now().astimezone(datetime.UTC)
    path = directory / f"ocophub-{now:%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        folder = Path(work)
        database = _dump_database(alias, engine, folder)
        partial = folder / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            archive.add(folder / database, arcname=database)
            files = {
                name: _add_folder(archive, Path(getattr(settings, setting)), name)
                for name, setting in MEDIA_FOLDERS.items()
            }
            manifest = {
                "format": FORMAT,
                "created": now.isoformat(),
                "engine": engine,
                "database": database,
                "files": files,
            }
            (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
            archive.add(folder / MANIFEST, arcname=MANIFEST)
        os.replace(partial, path)
    return path


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.load(member)
    except (OSError, tarfile.TarError, KeyError, EOFError, ValueError) as exc:
        raise BackupError(f"{path} is not a complete OCOP Hub backup ({exc}).") from exc


def _unpack(path: Path, folder: Path) -> dict:
    """Extract the whole archive (which reads it to its end, so a truncated one is found
    before anything is replaced) and check what it holds."""
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of format {manifest.get('format')}, not {FORMAT}.")
    try:
        with tarfile.open(path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the folder, devices.
            archive.extractall(folder, filter="data")
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{path} is not a complete OCOP Hub backup ({exc}).") from exc
    if not (folder / manifest["database"]).is_file():
        raise BackupError(f"{path} holds no database ({manifest['database']}).")
    return manifest


def _restore_database(alias: str, engine: str, dump: Path) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    if engine == "sqlite":
        source = sqlite3.connect(dump)
        try:
            (check,) = source.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise BackupError(f"The archive's database is damaged: {check}.")
            connection.ensure_connection()
            # Page by page into the open database, in one step: readers see the old
            # database or the restored one, never a mixture.
            source.backup(connection.connection)
        finally:
            source.close()
        return
    # pg_restore drops and recreates every table: no open connection of ours may hold a lock.
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        ],
        _pg_env(alias),
    )


def _replace_folder(target: Path, restored: Path | None) -> None:
    """Put `restored` (or nothing) where `target` is: the new folder is moved in whole
    and the old one removed afterwards, so files added since the backup go too."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}-before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    if restored is not None and restored.is_dir():
        shutil.move(restored, target)
    else:
        target.mkdir()
    shutil.rmtree(old, ignore_errors=True)


def restore(path: Path, alias: str = "default") -> dict:
    """Bring the database and uploaded files back to the archive's snapshot; return its
    manifest. Nothing is changed unless the archive is whole and of this engine."""
    engine = _engine(alias)
    manifest = read_manifest(path)
    if manifest.get("engine") != engine:
        raise BackupError(
            f"{path} is a backup of a {manifest.get('engine')} database; this site runs {engine}."
        )
    roots = {name: Path(getattr(settings, setting)) for name, setting in MEDIA_FOLDERS.items()}
    # Unpack beside the media so that moving the folders in is a rename on one disk.
    beside = roots["media"].parent
    beside.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=beside, prefix=".restore-") as work:
        folder = Path(work)
        manifest = _unpack(path, folder)
        _restore_database(alias, engine, folder / manifest["database"])
        for name, root in roots.items():
            _replace_folder(root, folder / name)
    return manifest
