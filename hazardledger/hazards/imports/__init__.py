"""The hazard ledger import: office column names, legacy states, idempotent re-imports.

`fields` is the synonym table, `legacy` how a row's 整改完成情况 becomes a status (and what
that status requires), `ledger` the importer run by `enterprises.imports.batch`, `services`
the permission-checked entry points used by the page, the API and the command.
"""
