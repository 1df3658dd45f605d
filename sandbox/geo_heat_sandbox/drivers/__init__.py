"""SANDBOX-ONLY drivers that the sandbox's services load by name in their
configuration: an ML2 mechanism driver (``ml2``), a VPNaaS service driver
(``vpn``) and a Nova virt driver (``nova_fake``); each stands in for an
agent or a hypervisor the sandbox does not run (doc/sandbox.rst)."""
