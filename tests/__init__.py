# Heat's test helpers select oslo.service's threading backend when imported;
# select it first so nothing imported earlier can pick eventlet.
from oslo_service import backend

try:
    backend.init_backend(backend.BackendType.THREADING)
except backend.exceptions.BackendAlreadySelected:
    pass
