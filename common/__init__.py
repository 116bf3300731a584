"""Code shared by the Strato services: config, database, RPC, context, launcher."""
