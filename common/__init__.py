"""Code shared by the Strato services: config, database, RPC, context, launcher."""
import warnings

# oslo.messaging's rabbit driver imports oslo.service's eventlet backend, which warns at
# import time. Strato runs the threading executor and never uses eventlet.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
