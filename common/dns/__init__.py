"""The DNS domain's rules that need no database: names, TTLs, emails and record data
as Designate checks them (validation, record_rules), and the snapshots the conductor
hands the dns agent (snapshots)."""
