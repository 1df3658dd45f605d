#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""What geo-heat keeps in Heat's resource data, each value bounded.

Heat keeps a resource's data as (key, value) rows whose value is a MySQL
TEXT column: 65,535 bytes. SQLite takes any length; MariaDB in strict mode
refuses a longer value (and without strict mode cuts it). So every value
geo-heat stores has a largest size, computed from the template: strings
the template gives are at most NAME_MAX characters (the properties say
so), messages from the clouds are clipped, only the instance outputs
geo-heat reads are kept, and the one value that may be larger, a CA bundle
(up to 256 KiB), is kept once per resource in pieces of its own, the
records naming it by its SHA-256 digest (README: what geo-heat stores).
"""

import hashlib
import json

# MySQL's TEXT: Heat's resource_data.value.
TEXT_BYTES = 65535
# The longest string of the template a record copies (a region, cloud,
# zone, physical network, Barbican reference, link name): what Keystone,
# Nova and Neutron keep of a name.
NAME_MAX = 255
# What a record keeps of a message from a cloud or a monitor (bytes of
# its JSON), clipped beyond.
REASON_MAX_BYTES = 1024
# What a record keeps of an instance output (bytes of its JSON); a larger
# one is not kept.
OUTPUT_MAX_BYTES = 256
# A CA bundle is kept in pieces of at most PIECE_CHARS characters: UTF-8
# takes at most 4 bytes a character.
PIECE_CHARS = TEXT_BYTES // 4
CA_CERT_KEY = 'ca_cert:'

# Values from the clouds, at their largest: an ID with dashes, an IPv6
# address, a SHA-256 digest.
LARGEST_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff'
LARGEST_ADDRESS = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'
LARGEST_DIGEST = 'f' * 64
# NAME_MAX characters that JSON escapes the most (an astral character
# takes 12 bytes, as a surrogate pair).
WIDEST = '\U0001F600' * NAME_MAX


def size(value):
    """Bytes of a stored value."""
    return len(value.encode())


def escaped(value):
    """Bytes of a value's JSON, as records hold it."""
    return len(json.dumps(value))


def encrypted_size(plain_bytes):
    """Bytes Heat stores for a redacted value of plain_bytes: a Fernet
    token (version, time, IV, the padded ciphertext, HMAC), base64."""
    token = 1 + 8 + 16 + (plain_bytes // 16 + 1) * 16 + 32
    return 4 * -(-token // 3)


def clipped(text, limit=REASON_MAX_BYTES):
    """The text, cut so that its JSON takes at most `limit` bytes."""
    if text is None or escaped(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if escaped(text[:middle] + ' ...') <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low] + ' ...'


def kept_output(value):
    """An instance output as a record keeps it: None when its JSON is
    larger than OUTPUT_MAX_BYTES."""
    try:
        return value if escaped(value) <= OUTPUT_MAX_BYTES else None
    except (TypeError, ValueError):
        return None


# -- CA bundles ------------------------------------------------------------

def _piece_key(digest, index):
    return '%s%s:%d' % (CA_CERT_KEY, digest, index)


def digest_of(pem):
    return hashlib.sha256(pem.encode()).hexdigest()


def bundle(data, digest):
    """The CA bundle of that digest the resource data holds, or None."""
    pieces = []
    while _piece_key(digest, len(pieces)) in data:
        pieces.append(data[_piece_key(digest, len(pieces))])
    pem = ''.join(pieces)
    return pem if pieces and digest_of(pem) == digest else None


def stow(descriptor, data, data_set):
    """A site descriptor as a record holds it: its CA bundle replaced by
    the bundle's digest, the bundle written first (once per content) in
    pieces under keys of its own."""
    pem = descriptor.get('ca_cert')
    if not pem:
        return descriptor
    digest = digest_of(pem)
    if bundle(data, digest) is None:
        for index in range(0, len(pem), PIECE_CHARS):
            data_set(_piece_key(digest, index // PIECE_CHARS),
                     pem[index:index + PIECE_CHARS])
    return dict(descriptor, ca_cert=None, ca_cert_sha256=digest)


def unstow(descriptor, data):
    """A stored site descriptor with its CA bundle back in place (one
    stored before bundles were kept apart holds it already)."""
    digest = descriptor.get('ca_cert_sha256')
    if not digest:
        return descriptor
    pem = bundle(data, digest)
    if pem is None:
        raise ValueError('the CA bundle %s of %s is not in the resource '
                         'data' % (digest[:12], descriptor['placement']))
    unstowed = dict(descriptor, ca_cert=pem)
    del unstowed['ca_cert_sha256']
    return unstowed


def unused_bundle_keys(data, descriptors):
    """Keys of the bundles in the resource data that none of the stored
    descriptors names."""
    named = {descriptor.get('ca_cert_sha256') for descriptor in descriptors}
    return sorted(key for key in data if key.startswith(CA_CERT_KEY) and
                  key[len(CA_CERT_KEY):].rpartition(':')[0] not in named)


def largest_descriptor(placement):
    """The largest site descriptor (geo_heat.resources.endpoint) over the
    placement's strings: its bundle stowed, IDs at their largest."""
    return {'placement': dict(placement), 'ca_cert': None,
            'ca_cert_sha256': LARGEST_DIGEST, 'insecure': False,
            'share_project_id': LARGEST_ID}


def largest_placement(fields):
    """The placement fields (geo_heat.link.site.Placement) an endpoint's
    template gives, with the region it names none of at its largest: the
    one its cloud defaults to, NAME_MAX characters JSON escapes the most."""
    return dict(fields, region_name=fields.get('region_name') or WIDEST)
