"""deploy/nginx/portal.conf, filled in as `make prod` fills it, is a configuration nginx accepts,
with one or several gunicorn instances behind it."""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import require

ROOT = Path(__file__).resolve().parents[2]


def run_prod():
    spec = importlib.util.spec_from_file_location("run_prod", ROOT / "scripts" / "run_prod.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("instances", [1, 2])
def test_rendered_server_block_passes_nginx_t(tmp_path, instances):
    # given
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    require(Path(nginx).exists(), "nginx is not installed (apt-get install nginx)")
    module = run_prod()
    tmp_path.chmod(0o755)
    cert, key = module.self_signed_certificate(tmp_path)
    upstreams = [f"server 127.0.0.1:{8001 + n};" for n in range(instances)]
    block = module.render_server_block(
        {
            "PORT": "8443",
            "SERVER_NAME": "127.0.0.1 localhost",
            "CERT": str(cert),
            "KEY": str(key),
            "STATIC_ROOT": str(tmp_path / "static"),
            "UPSTREAMS": "\n    ".join(upstreams),
            "ACCESS_LOG": str(tmp_path / "access.log"),
        }
    )
    server_block = tmp_path / "portal.conf"
    server_block.write_text(block)
    config = tmp_path / "nginx.conf"
    config.write_text(module.nginx_main_config(run=tmp_path, server_block=server_block))
    # when
    result = subprocess.run([nginx, "-t", "-c", str(config)], capture_output=True, text=True)
    # then
    assert result.returncode == 0, result.stderr
    assert block.count("\n    server 127.0.0.1:") == instances
    assert "${" not in block
