"""The deployment files load and say what the guide says: culler, limits, image, nbgitpuller."""

from __future__ import annotations

from pathlib import Path

import yaml
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def test_the_one_server_config_loads_with_culler_limits_and_a_class_authenticator() -> None:
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()
    assert config.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    assert config.NativeAuthenticator.open_signup is False
    assert config.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert config.Spawner.mem_limit == "1G" and config.Spawner.cpu_limit == 1.0
    assert config.JupyterHub.bind_url.startswith("http://127.0.0.1:")
    (culler,) = config.JupyterHub.services
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    (role,) = config.JupyterHub.load_roles
    assert role["services"] == ["idle-culler"] and "delete:servers" in role["scopes"]


def test_the_kubernetes_values_have_image_limits_culler_and_storage() -> None:
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text(encoding="utf-8"))
    user = values["singleuser"]
    assert user["image"]["name"] and user["memory"]["limit"] == "1G" and user["cpu"]["limit"] == 1
    assert user["storage"]["type"] == "dynamic"
    assert values["cull"]["enabled"] is True and values["cull"]["users"] is False
    auth = values["hub"]["config"]["JupyterHub"]["authenticator_class"]
    assert auth == "nativeauthenticator.NativeAuthenticator"


def test_the_user_image_is_built_from_environment_yml_with_nbgitpuller() -> None:
    dockerfile = (DEPLOY / "z2jh" / "Dockerfile").read_text(encoding="utf-8")
    assert "environment.yml" in dockerfile and "nbgitpuller" in dockerfile


def test_the_guide_covers_both_deployments_the_lms_and_the_venv() -> None:
    guide = (ROOT / "docs" / "deploying.md").read_text(encoding="utf-8")
    for needed in (
        "deploy/jupyterhub_config.py",
        "deploy/z2jh/values.yaml",
        "LTI13Authenticator",
        "python -m postsoviet link",
        "student-copy",
        "collect",
        "source .venv/bin/activate",
        "postsoviet link",
        "jupyterhub-idle-culler",
    ):
        assert needed in guide, needed
