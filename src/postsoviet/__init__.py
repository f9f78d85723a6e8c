"""Helper package for the course: data, quizzes, plots and notebook tooling."""

__version__ = "0.1.0"
