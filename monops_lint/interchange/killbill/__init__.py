"""Kill Bill catalog XML: ``export_killbill`` (catalog -> one XML file per catalog version)
and ``import_killbill`` (XML files -> catalog YAML and monops.yaml).

Modules by idea: ``model`` (Kill Bill's catalog as values), ``xml_read`` / ``xml_write``
(the XML, untrusted on the way in), ``names`` (ids and Kill Bill names),
``export_phases`` / ``export`` (monops -> Kill Bill), ``import_charges`` / ``import_``
(Kill Bill -> monops), ``yaml_write`` (the YAML an import writes), ``idrefs`` (what the
XML Schema does not check).
"""

from __future__ import annotations

from monops_lint.interchange.killbill.export import KillBillExport, export_killbill
from monops_lint.interchange.killbill.import_ import KillBillImport, import_killbill

__all__ = ["KillBillExport", "KillBillImport", "export_killbill", "import_killbill"]
