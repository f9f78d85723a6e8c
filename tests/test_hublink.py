"""The nbgitpuller link: nbgitpuller's documented form, read back as its handler reads it."""

from __future__ import annotations

import inspect
from urllib.parse import parse_qs, urlsplit

import pytest

from postsoviet.__main__ import main
from postsoviet.hublink import clone_folder, nbgitpuller_link

HUB = "https://hub.example.edu"
REPO = "https://github.com/example-org/postsoviet-student"


def test_the_link_has_nbgitpullers_documented_form() -> None:
    link = nbgitpuller_link(HUB, REPO)
    # As nbgitpuller's documentation writes it, every value percent-encoded.
    assert link == (
        "https://hub.example.edu/hub/user-redirect/git-pull"
        "?repo=https%3A%2F%2Fgithub.com%2Fexample-org%2Fpostsoviet-student"
        "&branch=main"
        "&urlpath=lab%2Ftree%2Fpostsoviet-student%2Fcourse%2F00-start-here.ipynb"
    )


def test_the_handler_reads_back_what_was_meant() -> None:
    link = nbgitpuller_link(
        f"{HUB}/", REPO + "/", branch="spring 2026", path="exercises/04-energy.ipynb"
    )
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}
    assert parts.path == "/hub/user-redirect/git-pull"
    assert query == {
        "repo": REPO,
        "branch": "spring 2026",
        "urlpath": "lab/tree/postsoviet-student/exercises/04-energy.ipynb",
    }


def test_clone_folder_is_nbgitpullers() -> None:
    handlers = pytest.importorskip("nbgitpuller.handlers")
    source = inspect.getsource(handlers)
    assert "repo.rstrip('/').split('/')[-1]" in source  # the rule clone_folder follows
    for repo in (REPO, REPO + ".git", REPO + "/", "file:///srv/course/student-copy"):
        assert clone_folder(repo) == repo.rstrip("/").split("/")[-1]
    link = nbgitpuller_link(HUB, REPO, targetpath="course-2026")
    query = parse_qs(urlsplit(link).query)
    assert query["targetpath"] == ["course-2026"]
    assert query["urlpath"] == ["lab/tree/course-2026/course/00-start-here.ipynb"]


def test_the_command_prints_the_link(capsys) -> None:
    assert main(["link", "--hub", HUB, "--repo", REPO, "--branch", "main"]) == 0
    assert capsys.readouterr().out.strip() == nbgitpuller_link(HUB, REPO)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hub", "hub.example.edu", "--repo", REPO], "--hub 'hub.example.edu' is not an address"),
        (["--hub", HUB, "--repo", "git@github.com:x/y"], "--repo 'git@github.com:x/y' is not"),
        (["--hub", HUB, "--repo", REPO, "--path", "../../etc/passwd"], "inside the repository"),
    ],
)
def test_bad_addresses_get_a_sentence(args, message, capsys) -> None:
    assert main(["link", *args]) == 2
    assert message in capsys.readouterr().err
