"""The stratlog command line: parse, call the application, render. Thin."""
