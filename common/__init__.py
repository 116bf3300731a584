"""Code shared by the Strato services: config, database, RPC, context, launcher."""
import os
import warnings

# oslo.messaging's rabbit driver imports oslo.service's eventlet backend, which warns at
# import time. Strato runs the threading executor and never uses eventlet.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

# Importing eventlet (pulled in by oslo.messaging and ovs, never used) would otherwise make
# its green DNS resolver re-import dnspython as patched copies: dnspython objects made
# before and after no longer match (zone parsing fails with "add(): expected an Rdata").
os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
