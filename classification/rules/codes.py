"""Region codes as people type them, normalised to the dotted Kemendagri form."""


def normalise_region_code(text: str) -> str | None:
    """``6301032029`` or ``63.01.03.2029`` (or a prefix of either) in dotted form; else None."""
    digits = text.replace(".", "").strip()
    if not digits.isdigit() or len(digits) > 10:
        return None
    groups = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
    return ".".join(group for group in groups if group)
