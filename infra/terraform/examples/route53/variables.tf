variable "aws_region" {
  description = "AWS region of the provider (Route 53 itself is global)."
  type        = string
  default     = "us-east-1"
}

variable "domain" {
  description = "Your domain, with a public hosted zone in Route 53 (example.com)."
  type        = string
}

variable "clerk_cname_records" {
  description = "The CNAME records Clerk's dashboard lists for your production instance: name => target."
  type        = map(string)
}

variable "ttl" {
  description = "TTL of the records, in seconds."
  type        = number
  default     = 300
}
