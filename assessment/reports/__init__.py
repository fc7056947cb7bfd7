"""Reports people take to the meeting: the organisation report (PDF, XLSX) and the sector fund
report (PDF). :mod:`assessment.reports.downloads` is the one way out: it checks the caller's
scope, builds the report from the domain functions the pages use, and writes the download to
the audit log."""
