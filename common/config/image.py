"""[image]: the image API (Glance v2 subset); files live in [compute] image_store_path."""
from oslo_config import cfg

GROUP = "image"

OPTS = [
    cfg.IntOpt("image_size_cap", default=1099511627776, min=1,
               help="Largest image upload in bytes; a larger one is refused with 413 "
                    "and nothing is kept."),
    cfg.IntOpt("limit_param_default", default=25, min=1,
               help="Images per page of a list that gives no limit (Glance's default)."),
    cfg.IntOpt("api_limit_max", default=1000, min=1,
               help="Largest page of an image list, whatever the limit asked for."),
]
