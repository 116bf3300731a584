"""Image records (Glance v2 semantics): visibility, listing filters, the upload state
machine, tags, and the end of a server snapshot.

Who sees what: an admin sees every image; anyone sees public and community images;
the owner also sees its private and shared ones, and the members of a shared image see
it. Lists leave out community images of other projects (unless asked for by
``visibility=community``), shared images a member has not accepted (unless asked for by
``member_status``) and hidden ones (unless ``os_hidden`` is asked for), as Glance does.
"""
import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api import paging
from common.db.api.records import from_row
from common.db.types import utcnow

Image = models.Image
Member = models.ImageMember
MEMBER_STATUSES = ("pending", "accepted", "rejected")
VISIBILITIES = ("public", "private", "shared", "community")
SORT_KEYS = ("name", "status", "container_format", "disk_format", "size", "id",
             "created_at", "updated_at", "visibility", "owner", "min_disk", "min_ram",
             "virtual_size", "protected", "os_hidden")
# Filters matched against a column; a list value means "any of" (Glance's in:).
_COLUMN_FILTERS = ("id", "name", "status", "visibility", "owner", "disk_format",
                   "container_format", "protected", "os_hidden", "checksum",
                   "os_hash_value", "min_disk", "min_ram")
_COMPARISONS = {"eq": "__eq__", "neq": "__ne__", "gt": "__gt__", "gte": "__ge__",
                "lt": "__lt__", "lte": "__le__"}
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class ImageRecord:
    """An image as its callers read it, out of its session: the columns, its extra
    properties and its tags (values, in the order they were added)."""

    id: str
    name: str | None
    status: str
    visibility: str
    protected: bool
    os_hidden: bool
    owner: str | None
    disk_format: str | None
    container_format: str | None
    size: int | None
    virtual_size: int | None
    checksum: str | None
    os_hash_algo: str | None
    os_hash_value: str | None
    min_disk: int
    min_ram: int
    properties: dict[str, Any]
    tags: list[str]
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


@dataclasses.dataclass(frozen=True)
class MemberRecord:
    image_id: str
    member: str
    status: str
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def _image(row: models.Image) -> ImageRecord:
    return from_row(ImageRecord, row, properties=dict(row.properties or {}),
                    tags=[tag.value for tag in row.tags])


def _shared_with(project_id: str | None, statuses: tuple[str, ...]) -> sa.ColumnElement:
    members = sa.select(Member.image_id).where(Member.member == project_id,
                                               Member.status.in_(statuses))
    return sa.and_(Image.visibility == "shared", Image.id.in_(members))


def _visible(project_id: str | None, is_admin: bool) -> sa.ColumnElement:
    if is_admin:
        return sa.true()
    return sa.or_(Image.visibility.in_(("public", "community")), Image.owner == project_id,
                  _shared_with(project_id, MEMBER_STATUSES))


def _listed(project_id: str | None, is_admin: bool, visibility: str | None,
            member_status: str) -> sa.ColumnElement:
    """What a list shows before filters: Glance's default leaves out other projects'
    community images unless visibility=community (or all) is asked for, and shared
    images the caller has not accepted unless member_status says otherwise."""
    if is_admin:
        return sa.true()
    statuses = MEMBER_STATUSES if member_status == "all" else (member_status,)
    listed = [Image.visibility == "public", Image.owner == project_id,
              _shared_with(project_id, statuses)]
    if visibility in ("community", "all"):
        listed.append(Image.visibility == "community")
    return sa.or_(*listed)


def create(ctxt: Context, values: Mapping[str, Any],
           properties: Mapping[str, Any] | None = None,
           tags: Iterable[str] = ()) -> ImageRecord:
    """A new queued image; Conflict (409) when its id is taken."""
    try:
        with session.transaction() as s:
            image = Image(**values, properties=dict(properties or {}),
                          tags=[models.ImageTag(value=tag) for tag in dict.fromkeys(tags)])
            s.add(image)
            s.flush()
            return _image(image)
    except sa_exc.IntegrityError as error:
        raise exceptions.Conflict(f"Image with ID {values.get('id')} already "
                                  "exists.") from error


def get(ctxt: Context, image_id: str) -> ImageRecord:
    """One image the caller may see; ImageNotFound otherwise (never 403, so ids of
    other projects' private images do not leak)."""
    query = sa.select(Image).where(Image.id == image_id,
                                   _visible(ctxt.project_id, bool(ctxt.is_admin)))
    with session.reader() as s:
        image = s.scalars(query).one_or_none()
        if image is None:
            raise exceptions.ImageNotFound(image_id=image_id)
        return _image(image)


def get_many(ctxt: Context, image_ids: Iterable[str]) -> dict[str, ImageRecord]:
    """{id: image} of the ids that exist, whoever owns them (server views show the
    images their servers were built from)."""
    ids = list(set(image_ids))
    if not ids:
        return {}
    with session.reader() as s:
        return {image.id: _image(image) for image in s.scalars(
            sa.select(Image).where(Image.id.in_(ids)))}


def list_images(ctxt: Context, filters: Mapping[str, Any] | None = None,
                limit: int | None = None, marker: str | None = None,
                sort: Sequence[tuple[str, str]] = (("created_at", "desc"),)
                ) -> list[ImageRecord]:
    """Images the caller may list, filtered, sorted by ``sort`` [(key, "asc"|"desc")]
    and paged after the image ``marker``.

    ``filters``: any of _COLUMN_FILTERS (a value, or a list for "any of"); ``tag`` (a
    list, all required); ``size_min``/``size_max``; ``created_at``/``updated_at`` as
    (operator, datetime); ``properties`` {key: value} of extra properties;
    ``member_status`` (accepted, pending, rejected or all) of the shared images listed.
    """
    project_id, is_admin = ctxt.project_id, bool(ctxt.is_admin)
    filters = dict(filters or {})
    query = sa.select(Image).where(_listed(project_id, is_admin, filters.get("visibility"),
                                           filters.pop("member_status", "accepted")))
    if filters.get("visibility") == "all":
        filters.pop("visibility")
    if "os_hidden" not in filters:
        filters["os_hidden"] = False
    query = _filtered(query, filters)
    for key, _direction in sort:
        if key not in SORT_KEYS:
            raise exceptions.BadRequest(f"Invalid sort key: {key}.")
    pairs = list(sort) + ([] if any(key == "id" for key, _d in sort)
                          else [("id", sort[-1][1] if sort else "desc")])
    with session.reader() as s:
        marker_row = None
        if marker is not None:
            marker_row = s.scalars(sa.select(Image).where(
                Image.id == marker, _visible(project_id, is_admin))).one_or_none()
            if marker_row is None:
                raise exceptions.BadRequest(f"Invalid marker. Image {marker} could not "
                                            "be found.")
        query = paging.sorted_after(query, Image, pairs, marker_row)
        if limit is not None:
            query = query.limit(limit)
        return [_image(image) for image in s.scalars(query)]


def _filtered(query: sa.Select, filters: Mapping[str, Any]) -> sa.Select:
    for key in _COLUMN_FILTERS:
        if key in filters:
            value, column = filters[key], getattr(Image, key)
            query = query.where(column.in_(value) if isinstance(value, list)
                                else column == value)
    for tag in filters.get("tag") or ():
        query = query.where(Image.id.in_(sa.select(models.ImageTag.image_id).where(
            models.ImageTag.value == tag)))
    if "size_min" in filters:
        query = query.where(Image.size >= filters["size_min"])
    if "size_max" in filters:
        query = query.where(Image.size <= filters["size_max"])
    for key in ("created_at", "updated_at"):
        if key in filters:
            operator, value = filters[key]
            query = query.where(getattr(getattr(Image, key), _COMPARISONS[operator])(value))
    for key, value in (filters.get("properties") or {}).items():
        query = query.where(Image.properties[key].as_string() == str(value))
    return query


def _load(s: orm.Session, image_id: str) -> Image:
    image = s.get(Image, image_id)
    if image is None:
        raise exceptions.ImageNotFound(image_id=image_id)
    return image


def update(ctxt: Context, image_id: str, values: Mapping[str, Any],
           properties: Mapping[str, Any] | None = None,
           tags: Iterable[str] | None = None) -> ImageRecord:
    """Change columns; ``properties`` and ``tags``, when given, replace the old ones."""
    with session.transaction() as s:
        image = _load(s, image_id)
        for key, value in values.items():
            setattr(image, key, value)
        if properties is not None:
            image.properties = dict(properties)
        if tags is not None:
            _set_tags(image, tags)
        image.updated_at = utcnow()
        s.flush()
        return _image(image)


def _set_tags(image: Image, tags: Iterable[str]) -> None:
    wanted = list(dict.fromkeys(tags))
    current = {tag.value: tag for tag in image.tags}
    for value, tag in current.items():
        if value not in wanted:
            image.tags.remove(tag)
    for value in wanted:
        if value not in current:
            image.tags.append(models.ImageTag(value=value))


def add_tag(ctxt: Context, image_id: str, tag: str) -> None:
    with session.transaction() as s:
        image = _load(s, image_id)
        if tag not in {t.value for t in image.tags}:
            image.tags.append(models.ImageTag(value=tag))
            image.updated_at = utcnow()


def remove_tag(ctxt: Context, image_id: str, tag: str) -> None:
    with session.transaction() as s:
        image = _load(s, image_id)
        for item in image.tags:
            if item.value == tag:
                image.tags.remove(item)
                image.updated_at = utcnow()
                return
    raise exceptions.NotFound(f"Tag {tag} not found for image {image_id}.")


def transition(ctxt: Context, image_id: str, from_states: Iterable[str], to_state: str,
               values: Mapping[str, Any] | None = None) -> ImageRecord:
    """Move an image from one of ``from_states`` to ``to_state`` (with ``values``)
    atomically; Conflict (409) when it is in another state."""
    from_states = tuple(from_states)
    with session.transaction() as s:
        updated = session.rowcount(s.execute(sa.update(Image).where(
            Image.id == image_id, Image.status.in_(from_states))
            .values(status=to_state, updated_at=utcnow(), **(values or {}))
            .execution_options(synchronize_session=False)))
        image = _load(s, image_id)
        if not updated:
            raise exceptions.Conflict(f"Image status transition from {image.status} to "
                                      f"{to_state} is not allowed.")
        return _image(image)


def delete(ctxt: Context, image_id: str) -> None:
    """Delete the record; Forbidden (403) while the image is protected."""
    with session.transaction() as s:
        image = _load(s, image_id)
        if image.protected:
            raise exceptions.Forbidden(f"Image {image_id} is protected and cannot be "
                                       "deleted.")
        s.delete(image)


def snapshot_finished(ctxt: Context, image_id: str,
                      image_meta: Mapping[str, Any] | None) -> None:
    """A server snapshot (createImage) was written to the image store as ``image_id``:
    activate the queued record with the file's size, checksums and the properties the
    compute agent reports; ``image_meta`` None (the snapshot failed) deletes the record,
    as Nova does with a failed snapshot's image."""
    if image_meta is None:
        with session.transaction() as s:
            s.execute(sa.delete(Image).where(Image.id == image_id,
                                             Image.status.in_(("queued", "saving"))))
        return
    columns = {key: image_meta[key] for key in (
        "disk_format", "container_format", "size", "checksum", "os_hash_algo",
        "os_hash_value", "min_disk", "virtual_size") if image_meta.get(key) is not None}
    with session.transaction() as s:
        image = s.get(Image, image_id)
        if image is None or image.status not in ("queued", "saving"):
            return  # deleted meanwhile, or already finished: nothing to do twice
        for key, value in columns.items():
            setattr(image, key, value)
        image.properties = {**dict(image_meta.get("properties") or {}),
                            **(image.properties or {})}
        image.status = "active"
        image.updated_at = utcnow()


# --- members of shared images ------------------------------------------------------------

def add_member(ctxt: Context, image_id: str, member: str) -> MemberRecord:
    """Offer a shared image to project ``member`` (pending); Conflict if it already is."""
    try:
        with session.transaction() as s:
            image = _load(s, image_id)
            if image.visibility != "shared":
                raise exceptions.Forbidden("Only shared images have members.")
            row = Member(image_id=image_id, member=member, status="pending")
            s.add(row)
            s.flush()
            return from_row(MemberRecord, row)
    except sa_exc.IntegrityError as error:
        raise exceptions.Conflict(f"{member} is already member of image {image_id}.") \
            from error


def list_members(ctxt: Context, image_id: str,
                 only: str | None = None) -> list[MemberRecord]:
    """The members of an image (just ``only``'s membership when given)."""
    query = sa.select(Member).where(Member.image_id == image_id).order_by(Member.id)
    if only is not None:
        query = query.where(Member.member == only)
    with session.reader() as s:
        return [from_row(MemberRecord, row) for row in s.scalars(query)]


def get_member(ctxt: Context, image_id: str, member: str) -> MemberRecord:
    found = list_members(ctxt, image_id, member)
    if not found:
        raise exceptions.NotFound(f"{member} is not a member of image {image_id}.")
    return found[0]


def set_member_status(ctxt: Context, image_id: str, member: str,
                      status: str) -> MemberRecord:
    with session.transaction() as s:
        row = s.scalars(sa.select(Member).filter_by(image_id=image_id,
                                                    member=member)).one_or_none()
        if row is None:
            raise exceptions.NotFound(f"{member} is not a member of image {image_id}.")
        row.status = status
        row.updated_at = utcnow()
        s.flush()
        return from_row(MemberRecord, row)


def remove_member(ctxt: Context, image_id: str, member: str) -> None:
    with session.transaction() as s:
        deleted = session.rowcount(s.execute(sa.delete(Member).filter_by(image_id=image_id,
                                                        member=member)))
    if not deleted:
        raise exceptions.NotFound(f"{member} is not a member of image {image_id}.")
