"""Named errors of the domain: one class per rule, each saying which value broke it."""


class StratlogError(Exception):
    """Raised for any error stratlog reports to its user.

    `statement_ids` names the statements the error is about (the refused one first), so that an
    import can say where in its files each of them was written; `written_as` maps the id of a
    statement whose fiscal years input resolved to its id as written in the file.
    """

    written_as: dict[str, str] = {}

    def __init__(self, message: str = "", *, statement_ids: tuple[str, ...] = ()):
        super().__init__(message)
        self.statement_ids = statement_ids


class InvalidInput(StratlogError):
    """Raised when a value given by the user is malformed (exit code 2)."""


class RuleViolation(StratlogError):
    """Raised when a statement is well formed but breaks a rule of the ledger (exit code 1)."""


class RulesBroken(RuleViolation):
    """Raised when several statements of one command break rules: every error, up to a limit."""

    def __init__(self, errors: list[StratlogError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


class BrandNotRegistered(RuleViolation):
    """Raised when a statement names a brand that was never registered."""


class TargetNotFound(RuleViolation):
    """Raised when a revision, reaffirmation or withdrawal names no live target."""


class DependencyAnnouncedLater(RuleViolation):
    """Raised when a statement is announced entirely before the statement it depends on."""


class DeadlineTaken(RuleViolation):
    """Raised when a target would move onto a deadline another live target of its KPI holds."""


class ModelLaunchedTwice(RuleViolation):
    """Raised when a model would be launched a second time in the same market (or overall)."""


class StatementNotFound(RuleViolation):
    """Raised when a correction or retraction names a statement that does not exist."""


class AlreadyRetracted(RuleViolation):
    """Raised when a statement that was retracted would be corrected or retracted again."""


class AmbiguousStatementId(InvalidInput):
    """Raised when a statement id prefix matches several statements."""


class ModelNameTaken(RuleViolation):
    """Raised when a model would be renamed to a name another model of the brand holds."""


class GuidanceMatchesNothing(RuleViolation):
    """Raised when a guidance withdrawal matches no live target of its brand."""
