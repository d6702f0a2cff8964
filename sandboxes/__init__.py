"""Stand-ins for the outside parties the portal talks to, each speaking the party's real protocol over HTTP, with
switches for its failures. They import no app of the portal: they are the outside world. Local development and the
tests mount them (config/settings/sandboxes.py); production refuses them."""
