"""``python -m postsoviet link --hub URL --repo URL``: the nbgitpuller link for a class.

A student who opens the link logs in to the hub; nbgitpuller then clones the student copy
into their home folder (or merges the latest release into their clone, keeping their own
changes) and opens the lesson. The link has nbgitpuller's documented form::

    HUB/hub/user-redirect/git-pull?repo=REPO&branch=BRANCH&urlpath=lab/tree/DIR/PATH

with every value URL-encoded (nbgitpuller's link generator and its ``git-pull`` handler
read exactly these parameters). ``DIR`` is the folder nbgitpuller clones into: the last part
of the repository's address (``targetpath`` changes it).
"""

from __future__ import annotations

import sys
from urllib.parse import quote, urlencode, urlsplit

__all__ = ["LinkError", "clone_folder", "main", "nbgitpuller_link"]


class LinkError(ValueError):
    """An address that cannot make a working link; the message says what to give instead."""


def _address(value: str, what: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in schemes or not (parts.netloc or parts.scheme == "file"):
        example = "https://hub.example.edu" if what == "--hub" else "https://git.example.edu/x/y"
        raise LinkError(f"{what} {value!r} is not an address like {example}")
    return value.strip().rstrip("/")


def clone_folder(repo: str, targetpath: str | None = None) -> str:
    """The folder in the student's home that nbgitpuller clones ``repo`` into.

    nbgitpuller 1.3 takes the last part of the address as it is (``course.git`` stays
    ``course.git``), so this does the same.
    """
    if targetpath:
        return targetpath.strip("/")
    return repo.rstrip("/").split("/")[-1]


def nbgitpuller_link(
    hub: str,
    repo: str,
    *,
    branch: str = "main",
    path: str = "course/00-start-here.ipynb",
    targetpath: str | None = None,
    interface: str = "lab",
) -> str:
    """The link that pulls ``repo`` into each student's home on ``hub`` and opens ``path``."""
    hub = _address(hub, "--hub", ("http", "https"))
    # file:// is for a repository on the hub's own disk (the hub test uses one).
    repo = _address(repo, "--repo", ("http", "https", "file"))
    if not clone_folder(repo):
        raise LinkError(f"--repo {repo!r} has no repository name at the end of its path")
    if ".." in path.split("/") or path.startswith("/"):
        raise LinkError(
            f"--path {path!r} must be a path inside the repository, like course/x.ipynb"
        )
    opened = f"{clone_folder(repo, targetpath)}/{path.strip('/')}"
    urlpath = f"lab/tree/{opened}" if interface == "lab" else f"tree/{opened}"
    query = {"repo": repo, "branch": branch, "urlpath": urlpath}
    if targetpath:
        query["targetpath"] = targetpath
    return f"{hub}/hub/user-redirect/git-pull?{urlencode(query, quote_via=quote, safe='')}"


def main(hub: str, repo: str, *, branch: str, path: str, targetpath: str | None) -> int:
    """Print the link, or one sentence saying what is wrong with an address."""
    try:
        print(nbgitpuller_link(hub, repo, branch=branch, path=path, targetpath=targetpath))
    except LinkError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
