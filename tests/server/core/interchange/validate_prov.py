"""Validates claimtrail's PROV-JSON export with the W3C PROV library for
Python (Debian's python3-prov), a consumer we did not write.

Usage: validate_prov.py FILE. Exits non-zero with a message on the first
problem.
"""
import sys

from prov.model import (PROV, PROV_TYPE, ProvActivity, ProvAgent,
                        ProvAttribution, ProvDelegation, ProvDerivation,
                        ProvDocument, ProvEntity, ProvInvalidation,
                        ProvSpecialization)
from prov.constants import (PROV_ATTR_ACTIVITY, PROV_ATTR_AGENT,
                            PROV_ATTR_DELEGATE, PROV_ATTR_ENTITY,
                            PROV_ATTR_GENERATED_ENTITY,
                            PROV_ATTR_RESPONSIBLE, PROV_ATTR_USED_ENTITY)


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def attr(record, name):
    for key, value in record.formal_attributes:
        if key == name:
            return str(value) if value is not None else None
    return None


def types(record):
    return {str(t) for t in record.get_attribute(PROV_TYPE)}


path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    content = f.read()
doc = ProvDocument.deserialize(content=content, format="json")

records = doc.get_records()
declared = {str(r.identifier) for r in records
            if isinstance(r, (ProvEntity, ProvAgent, ProvActivity))}
if not declared:
    fail("no entities, agents or activities")

entities = {str(r.identifier): r for r in doc.get_records(ProvEntity)}
agents = {str(r.identifier): r for r in doc.get_records(ProvAgent)}
activities = {str(r.identifier): r for r in doc.get_records(ProvActivity)}

# Every relation refers to declared records (prefixes resolved).
for relation in records:
    if not relation.is_relation():
        continue
    for key, value in relation.formal_attributes:
        if value is None or key.localpart in ("time",):
            continue
        if key.localpart in ("startTime", "endTime"):
            continue
        name = str(value)
        if name not in declared:
            fail("%s refers to undeclared %s" % (relation.get_type(), name))

claim = "ctr:claims/nk-troops"
if claim not in entities:
    fail("claim entity missing; have %s" % sorted(entities)[:5])
if "National Intelligence Service" not in str(
        agents.get("ctr:sources/nis").label):
    fail("agent NIS missing its label")
if "prov:Organization" not in types(agents["ctr:sources/nis"]):
    fail("NIS is not a prov:Organization")
if "prov:Person" not in types(agents["ctr:sources/us-officials"]):
    fail("officials are not prov:Person")


def derivations(kind):
    return {(attr(r, PROV_ATTR_GENERATED_ENTITY), attr(r, PROV_ATTR_USED_ENTITY))
            for r in doc.get_records(ProvDerivation) if kind in types(r)}


revisions = derivations("prov:Revision")
quotations = derivations("prov:Quotation")
primaries = derivations("prov:PrimarySource")
attributions = {(attr(r, PROV_ATTR_ENTITY), attr(r, PROV_ATTR_AGENT))
                for r in doc.get_records(ProvAttribution)}
delegations = {(attr(r, PROV_ATTR_DELEGATE), attr(r, PROV_ATTR_RESPONSIBLE))
               for r in doc.get_records(ProvDelegation)}
invalidations = {(attr(r, PROV_ATTR_ENTITY), attr(r, PROV_ATTR_ACTIVITY))
                 for r in doc.get_records(ProvInvalidation)}
specializations = len(list(doc.get_records(ProvSpecialization)))

expect = [
    ("hadPrimarySource NIS statement",
     (claim, claim + "/chains/a1/1") in primaries),
    ("straitstimes wasQuotedFrom NIS",
     (claim + "/chains/a1/2", claim + "/chains/a1/1") in quotations),
    ("claim wasQuotedFrom the last hop",
     (claim, claim + "/chains/a1/2") in quotations),
    ("claim wasAttributedTo NIS", (claim, "ctr:sources/nis") in attributions),
    ("statement wasAttributedTo straitstimes",
     (claim + "/chains/a1/2", "ctr:sources/straitstimes") in attributions),
    ("revision 2 wasRevisionOf revision 1",
     (claim + "/events/2", claim + "/events/1") in revisions),
    ("figure revision 2 wasRevisionOf revision 1",
     (claim + "/figures/troops/2", claim + "/figures/troops/1") in revisions),
    ("NIS actedOnBehalfOf South Korea",
     ("ctr:sources/nis", "ctr:sources/south-korea") in delegations),
    ("KCNA actedOnBehalfOf North Korea",
     ("ctr:sources/kcna", "ctr:sources/north-korea") in delegations),
    ("retracted claim wasInvalidatedBy its retraction",
     ("ctr:claims/claim-retracted",
      "ctr:claims/claim-retracted/events/2/retraction") in invalidations),
    ("retraction is an activity",
     "ctr:claims/claim-retracted/events/2/retraction" in activities),
    ("revisions are specializations of their claim", specializations >= 10),
    ("party stance attributed to Russia",
     any(a == "ctr:sources/russia" and e.startswith(claim + "/stances/")
         for e, a in attributions)),
]
for what, ok in expect:
    if not ok:
        fail(what)

# The library can write what it read, and reads it back the same.
again = ProvDocument.deserialize(content=doc.serialize(format="json"),
                                 format="json")
if again != doc:
    fail("PROV-JSON round trip through the library changed the document")
doc.get_provn()  # PROV-N rendering must not raise.

print("OK: %d records, %d entities, %d agents, %d activities" %
      (len(records), len(entities), len(agents), len(activities)))
