"""The site's pages, one module per page or area; shared mixins and helpers in ``base``."""
