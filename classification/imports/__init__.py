"""File imports: read, check, apply (no dependency on forms or filters); the region file reader."""
