"""Production settings pass Django's deployment checks without a single warning."""

import os
import subprocess
import sys


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x7Kq2-production-like-secret-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
        "ALLOWED_HOSTS": "regionet.example",
        "REGIONET_VAR_DIR": str(tmp_path),
        "EMAIL_URL": "smtp+tls://mailer:secret@mail.regionet.example:587",
    }
    result = subprocess.run(
        [sys.executable, "-m", "regionet", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
