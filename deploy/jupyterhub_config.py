# JupyterHub for one class on one server (tens of students; beyond one machine use
# deploy/z2jh/values.yaml). docs/deploying.md walks through it step by step.
#
# Install on the server, as root, into the hub's own environment (not the students'):
#
#   python3 -m venv /opt/hub && /opt/hub/bin/pip install -r deploy/requirements-hub.txt
#   npm install -g configurable-http-proxy@5
#
# and run it with `/opt/hub/bin/jupyterhub -f /etc/jupyterhub/jupyterhub_config.py` from
# /etc/jupyterhub (the hub keeps its database and cookie secret in the working folder).
# The students' environment is separate: `pip install` the student copy (which brings
# JupyterLab and the course package) plus nbgitpuller into /opt/course (see the guide).
#
# Every class name below is a string, so this file loads without the packages present
# (tests/test_deploy_files.py loads it).

c = get_config()  # noqa: F821 - provided by JupyterHub when it reads this file

# --- Where the hub listens -------------------------------------------------------------
# Behind a TLS reverse proxy (Caddy, nginx) on the same machine: listen on localhost only
# and let the proxy serve https://hub.example.edu. Without one, set ssl_cert/ssl_key.
c.JupyterHub.bind_url = "http://127.0.0.1:8000"
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"

# --- Who may log in: an authenticator suited to a class ---------------------------------
# NativeAuthenticator: students sign up with the username on the class list and choose a
# password; an admin (the instructor) approves each sign-up at /hub/authorize, and only
# names in allowed_users can sign up at all. No university account system needed.
c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
c.NativeAuthenticator.open_signup = False  # every sign-up waits for approval
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5  # then a short lock-out
c.Authenticator.admin_users = {"instructor"}
# The class list, one username per line (lower case, no spaces).
try:
    with open("/etc/jupyterhub/roster.txt", encoding="utf-8") as roster:
        c.Authenticator.allowed_users = {line.strip() for line in roster if line.strip()}
except FileNotFoundError:
    c.Authenticator.allowed_users = set()
#
# Alternatives (see docs/deploying.md):
# - a university login: oauthenticator's GenericOAuthenticator / AzureAdOAuthenticator;
# - launching from the LMS (Moodle, Canvas, Blackboard) with LTI 1.3:
#   c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
#   c.LTI13Authenticator.issuer = "https://lms.example.edu"
#   c.LTI13Authenticator.client_id = ["CLIENT-ID-FROM-THE-LMS"]
#   c.LTI13Authenticator.authorize_url = "https://lms.example.edu/mod/lti/auth.php"
#   c.LTI13Authenticator.jwks_endpoint = "https://lms.example.edu/mod/lti/certs.php"
#   c.LTI13Authenticator.username_key = "email"  # or "sub", the LMS's stable user id

# --- How each student's server runs: isolation and per-user limits ----------------------
# SystemdSpawner runs each server as a systemd unit. With dynamic_users each student gets
# a Unix user of their own made by systemd (no accounts to create) and a private home in
# /var/lib/private/<username>, which other students cannot read. systemd enforces the
# memory and CPU limits; the plain LocalProcessSpawner only records them.
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.isolate_tmp = True  # a private /tmp per student
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
# The students' environment (JupyterLab, the course package, nbgitpuller).
c.SystemdSpawner.extra_paths = ["/opt/course/bin"]
c.Spawner.cmd = ["/opt/course/bin/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# Limits per student. Lessons peak well under 1 GB (docs/performance.md); 1 GiB leaves
# room for an exercise's chart cache. One CPU each, shared when students overlap.
c.Spawner.mem_limit = "1G"
c.Spawner.cpu_limit = 1.0
c.Spawner.start_timeout = 120  # seconds; a cold server with many imports needs ~10
c.Spawner.http_timeout = 60
# Students may have one server each; the hub may start at most this many at once.
c.JupyterHub.concurrent_spawn_limit = 20
c.JupyterHub.active_server_limit = 60  # above this, new starts wait: size the machine

# --- Idle culler: stop servers nobody uses -----------------------------------------------
# jupyterhub-idle-culler runs as a hub service. A server whose browser tab and kernels have
# been idle for an hour is stopped (the student's files stay in their home); students
# simply log in again. Users who have not logged in for 60 days are not removed.
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            "/opt/hub/bin/python3",
            "-m",
            "jupyterhub_idle_culler",
            "--timeout=3600",  # one hour without activity
            "--max-age=28800",  # and no server runs longer than eight hours
            "--cull-every=300",
        ],
    }
]
# Kernels left running in a tab count as activity unless the server culls them itself.
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=True",
]
