"""Monitoring printed on every plan (M1-M6), chosen by the agents a regimen contains."""

from regimens import catalogue as cat


def _monitoring_for(regimen: str) -> tuple[cat.MonitoringFact, ...]:
    agents = cat.REGIMEN_AGENTS[regimen]
    return tuple(fact for fact in cat.MONITORING if fact.agents & agents)


MONITORING_BY_REGIMEN: dict[str, tuple[cat.MonitoringFact, ...]] = {
    code: _monitoring_for(code) for code in cat.REGIMEN_CODES
}


def monitoring_texts(regimen: str) -> list[str]:
    return [fact.text for fact in MONITORING_BY_REGIMEN[regimen]]


def monitoring_refs(regimen: str) -> list[str]:
    return list(dict.fromkeys(fact.ref for fact in MONITORING_BY_REGIMEN[regimen]))
