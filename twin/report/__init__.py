"""Plotly reports of runs."""

from twin.report.html import write_report

__all__ = ["write_report"]
