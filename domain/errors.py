"""Named errors of the domain: one class per rule, each saying which value broke it."""


class StratlogError(Exception):
    """Raised for any error stratlog reports to its user."""


class InvalidInput(StratlogError):
    """Raised when a value given by the user is malformed (exit code 2)."""


class RuleViolation(StratlogError):
    """Raised when a statement is well formed but breaks a rule of the ledger (exit code 1)."""


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
