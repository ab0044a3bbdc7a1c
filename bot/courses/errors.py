"""Search input errors: ValueError subclasses carrying a Chinese message and a stable code."""

from __future__ import annotations

from bot.courses.messages import SEARCH_MESSAGES


class CourseSearchError(ValueError):
    code = ""

    def __init__(self, **values: object):
        self.values = values
        super().__init__(SEARCH_MESSAGES[self.code].format(**values))


class MissingOriginError(CourseSearchError):
    code = "missing_origin"


class UnknownPlaceError(CourseSearchError):
    code = "unknown_place"


class InvalidCoordinatesError(CourseSearchError):
    code = "invalid_coordinates"


class UnknownOccupationError(CourseSearchError):
    code = "unknown_occupation"


class InvalidLimitError(CourseSearchError):
    code = "invalid_limit"
