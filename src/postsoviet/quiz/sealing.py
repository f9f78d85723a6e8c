"""Salted hashes of answers, and explanations sealed with a key only a right answer opens.

Why not store answers in plain text: a student who opens the bank file or the installed
package should not read the key off. Each question has its own random salt, so hashes
cannot be looked up in a table or compared across questions.

The explanation often states the answer, so it is encrypted with a per-question content
key. That key is stored once per accepted answer, XOR-wrapped with a hash of that answer:
whoever gives an accepted answer can unwrap it, nobody else can. Only the standard
library is used (SHA-256 as a keystream generator): the aim is to keep answers out of
sight, not to resist a determined attacker, who can always try every option anyway, as
the quiz itself lets them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

KEY_BYTES = 32


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()


def match_hash(salt: str, question_id: str, canonical: str) -> str:
    """Hash of an answer in canonical form, as stored in the public bank."""
    return _digest("match", salt, question_id, canonical).hex()


def member_hash(salt: str, question_id: str, option_id: str) -> str:
    """Hash marking one option as part of a multiple-select answer."""
    return _digest("member", salt, question_id, option_id).hex()


def position_hash(salt: str, question_id: str, position: int, item_id: str) -> str:
    """Hash marking one item as standing at ``position`` in an ordering answer."""
    return _digest("position", salt, question_id, str(position), item_id).hex()


def content_key(salt: str, question_id: str, canonical: str) -> bytes:
    """The key that seals a question's explanation, derived from its primary answer."""
    return _digest("content", salt, question_id, canonical)


def _xor(data: bytes, pad: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, pad, strict=True))


def wrap_key(key: bytes, salt: str, question_id: str, canonical: str) -> str:
    """The content key, hidden under a hash of one accepted answer."""
    return _xor(key, _digest("wrap", salt, question_id, canonical)).hex()


def unwrap_key(wrapped: str, salt: str, question_id: str, canonical: str) -> bytes:
    """Recover the content key with an accepted answer (the inverse of :func:`wrap_key`)."""
    return _xor(bytes.fromhex(wrapped), _digest("wrap", salt, question_id, canonical))


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = []
    for counter in range((length + KEY_BYTES - 1) // KEY_BYTES):
        blocks.append(hashlib.sha256(key + nonce + counter.to_bytes(8, "big")).digest())
    return b"".join(blocks)[:length]


def seal(text: str, key: bytes) -> tuple[str, str]:
    """Encrypt ``text``; returns ``(nonce, ciphertext)`` as hex and base64.

    The nonce is derived from the text, so sealing the same text twice gives the same
    bank file (stable diffs) while edited texts never reuse a keystream.
    """
    plain = text.encode("utf-8")
    nonce = hmac.new(key, plain, hashlib.sha256).digest()[:16]
    cipher = _xor(plain, _keystream(key, nonce, len(plain)))
    return nonce.hex(), base64.b64encode(cipher).decode("ascii")


def unseal(nonce: str, ciphertext: str, key: bytes) -> str:
    """Decrypt a sealed text with the content key."""
    cipher = base64.b64decode(ciphertext)
    nonce_bytes = bytes.fromhex(nonce)
    return _xor(cipher, _keystream(key, nonce_bytes, len(cipher))).decode("utf-8")
