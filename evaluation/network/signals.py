"""A membership, an agreement's party or a relations answer changed: the stored networks that read it are
recomputed (store.data_changed, debounced). Connected in EvaluationConfig.ready: concertation and agreements sit
below this app and do not know it exists."""

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from agreements.models import Party
from concertation.models import Membership
from evaluation.models import GraphKind, Relation
from registry.models import Territory


# The RLS is read after the commit, through the row's parent: on a cascade the parent may be gone (nothing to do).
def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    parent = instance.instance_id
    transaction.on_commit(lambda: _changed(GraphKind.CO_MEMBERSHIP, Territory.objects.filter(instances__pk=parent)))


def _party_changed(sender, instance: Party, **kwargs) -> None:
    parent = instance.agreement_id
    transaction.on_commit(lambda: _changed(GraphKind.AGREEMENTS, Territory.objects.filter(agreements__pk=parent)))


def _relation_changed(sender, instance: Relation, **kwargs) -> None:
    parent = instance.response_id
    transaction.on_commit(
        lambda: _changed(GraphKind.RELATIONS, Territory.objects.filter(campaigns__responses__pk=parent))
    )


def _changed(graph: str, rls: QuerySet) -> None:
    # Imported here: the store loads numpy and igraph, which a process that never computes a network need not load.
    from evaluation.network import store

    store.data_changed(graph, rls.first())


def connect() -> None:
    for model, handler in ((Membership, _membership_changed), (Party, _party_changed), (Relation, _relation_changed)):
        post_save.connect(handler, sender=model, dispatch_uid=f"network-{model.__name__}-saved")
        post_delete.connect(handler, sender=model, dispatch_uid=f"network-{model.__name__}-deleted")
