output "record_names" {
  description = "The created records' fully qualified names, by their name in cname_records."
  value       = { for name, record in aws_route53_record.clerk : name => record.fqdn }
}

output "frontend_api_host" {
  description = "The Frontend API's host (clerk.<domain>): the host a pk_live_ publishable key of this instance names."
  value       = aws_route53_record.clerk["clerk"].fqdn
}
