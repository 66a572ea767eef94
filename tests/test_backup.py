"""The README's backup and restore, run as an operator runs it: the database and the uploaded
files are backed up, lost, restored, and an attachment still matches the SHA-256 it was
received with. On the suite's database kind (SQLite, or PostgreSQL with pg_dump)."""

import json
import os
import shutil
import subprocess
import sys

from tests.servers import fresh_database_url

ATTACH = """
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from regionet.accounts.models import User
from regionet.applications.models import Application
from regionet.applications.services import add_attachment
from regionet.applications.uploads import check_upload

pdf = io.BytesIO()
writer = PdfWriter()
writer.add_blank_page(595, 842)
writer.write(pdf)
user = User.objects.get(email="hakija@oulu.example")
draft = Application.objects.filter(state="draft", coordinator__memberships__user=user).first()
upload = SimpleUploadedFile("liite.pdf", pdf.getvalue(), "application/pdf")
upload.checked = check_upload(upload)
add_attachment(draft, upload, by=user)
"""

INVENTORY = """
import hashlib, json
from regionet.accounts.models import Organisation, User
from regionet.applications.models import Application, Attachment, Submission

files = {}
for attachment in Attachment.objects.order_by("pk"):
    try:
        with attachment.file.open("rb") as stored:
            files[attachment.sha256] = hashlib.sha256(stored.read()).hexdigest()
    except FileNotFoundError:
        files[attachment.sha256] = None
print(json.dumps({
    "users": User.objects.count(),
    "organisations": Organisation.objects.count(),
    "applications": Application.objects.count(),
    "submissions": list(Submission.objects.order_by("pk").values_list("record_number", "sha256")),
    "files": files,
}))
"""


def _regionet(env, *args, stdin=None):
    result = subprocess.run(
        [sys.executable, "-m", "regionet", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"regionet {' '.join(args)}:\n{result.stderr[-3000:]}"
    return result.stdout


def _inventory(env) -> dict:
    return json.loads(_regionet(env, "shell", "--no-imports", stdin=INVENTORY).splitlines()[-1])


def _lose_database(env):
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            path = url.removeprefix("sqlite:///") + suffix
            if os.path.exists(path):
                os.remove(path)
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def test_database_and_uploaded_files_survive_backup_and_restore(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "REGIONET_VAR_DIR": str(tmp_path / "var"),
        "REGIONET_BACKUP_DIR": str(tmp_path / "backups"),
        "DATABASE_URL": fresh_database_url(tmp_path, "backup"),
        "EMAIL_URL": "memorymail://",
    }
    _regionet(env, "demo", "--no-server")
    _regionet(env, "shell", "--no-imports", stdin=ATTACH)
    before = _inventory(env)
    assert before["submissions"] != []
    assert len(before["files"]) == 1
    assert list(before["files"].items()) == [(digest, digest) for digest in before["files"]]

    _regionet(env, "dbbackup", "--noinput", "--output-filename", "regionet.dump")
    _regionet(env, "mediabackup", "--noinput", "--output-filename", "media.tar")

    _lose_database(env)
    shutil.rmtree(tmp_path / "var" / "media")
    (tmp_path / "var" / "media").mkdir()

    _regionet(env, "dbrestore", "--noinput", "--input-filename", "regionet.dump")
    lost_files = _inventory(env)
    assert lost_files["files"] == dict.fromkeys(before["files"])  # rows back, files not yet

    _regionet(env, "mediarestore", "--noinput", "--input-filename", "media.tar")
    assert _inventory(env) == before
