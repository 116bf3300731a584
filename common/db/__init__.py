"""The database: models, migrations, sessions and the query functions of the control plane.

Only the api, scheduler and conductor import this package. Agents call the conductor.
"""
