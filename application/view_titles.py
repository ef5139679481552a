"""What each question analysts ask answers, in one line: the CLI's command summaries and the browser's page titles."""

VIEW_TITLES = {
    "timeline": "One row per subject of a brand, with its status as of a date.",
    "kpis": "Every target with its latest actual, required growth and status.",
    "audit": "How a brand's targets changed, statement by statement.",
    "state": "A brand's whole picture as of a date.",
    "diff": "What changed between two dates.",
    "checks": "Consistency warnings (growth targets vs revenue targets, odd dates).",
}
