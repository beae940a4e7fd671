variable "zone_id" {
  description = "ID of the Route 53 hosted zone that serves the domain (Z0123456789ABCDEFGHIJ)."
  type        = string

  validation {
    condition     = length(trimspace(var.zone_id)) > 0
    error_message = "zone_id is the hosted zone's ID, for example Z0123456789ABCDEFGHIJ."
  }
}

variable "domain" {
  description = "The domain of the Clerk production instance (example.com): the records are created under it."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain is a lower-case domain name without scheme or trailing dot, for example example.com."
  }
}

variable "cname_records" {
  description = "The CNAME records Clerk's dashboard lists for the production instance (Configure > Domains): the name under the domain => the target. Usually clerk, accounts, clkmail, clk._domainkey and clk2._domainkey."
  type        = map(string)

  validation {
    condition     = contains(keys(var.cname_records), "clerk")
    error_message = "cname_records needs at least \"clerk\", the Frontend API that the publishable key names."
  }

  validation {
    condition     = alltrue([for name in keys(var.cname_records) : can(regex("^[a-z0-9_]([a-z0-9_.-]*[a-z0-9])?$", name))])
    error_message = "cname_records names are relative to the domain (clerk, clk._domainkey), not full host names."
  }

  validation {
    condition     = alltrue([for target in values(var.cname_records) : can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}\\.?$", target))])
    error_message = "cname_records targets are host names as Clerk shows them (frontend-api.clerk.services), without scheme."
  }
}

variable "ttl" {
  description = "TTL of the records, in seconds."
  type        = number
  default     = 300

  validation {
    condition     = var.ttl >= 60 && var.ttl <= 86400
    error_message = "ttl is between 60 and 86400 seconds."
  }
}
