"""Strato's tests: unit/ (in process, fake bus) and functional/ (real processes)."""
import os

# Before anything imports eventlet (tempest, ovs and oslo.messaging pull it in): its green
# DNS resolver would re-import dnspython as a patched copy, and dnspython objects made
# before and after would no longer match. common/__init__.py does the same for services.
os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
