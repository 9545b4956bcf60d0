import pytest

from tests.factories import SurveyFactory


@pytest.fixture
def survey(milestone):
    return SurveyFactory(milestone=milestone, title="Training Feedback")
