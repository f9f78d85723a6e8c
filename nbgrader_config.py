"""nbgrader settings for running this course's exercises through nbgrader.

Copy this file into your nbgrader course folder (next to ``source/``). It makes nbgrader's
student versions match ``python -m postsoviet exercises``: solution regions become
``# YOUR CODE HERE`` (the ``answer = ...`` line before each region stays), and cells
tagged ``instructor-only`` are removed before anything else happens.
"""

from nbgrader.converters import GenerateAssignment

from postsoviet.exercises import CODE_STUB, TEXT_STUB, RemoveInstructorOnly

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.ClearSolutions.code_stub = {"python": CODE_STUB}
c.ClearSolutions.text_stub = TEXT_STUB
c.GenerateAssignment.preprocessors = [
    RemoveInstructorOnly,
    *GenerateAssignment.class_traits()["preprocessors"].default(),
]
