# The DNS records of a Clerk production instance, one CNAME for each entry Clerk's dashboard
# lists: the Frontend API (clerk.), the Account Portal (accounts.), and email sending
# (clkmail. plus two DKIM keys). Clerk verifies them from the dashboard and then issues the
# instance's TLS certificates.
resource "aws_route53_record" "clerk" {
  for_each = var.cname_records

  zone_id = var.zone_id
  name    = "${each.key}.${var.domain}"
  type    = "CNAME"
  ttl     = var.ttl
  records = [each.value]
}
