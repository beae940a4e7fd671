output "clerk_dns_records" {
  description = "The records created for Clerk, by name."
  value       = module.clerk_dns.record_names
}

output "clerk_frontend_api_host" {
  description = "The Frontend API's host, which your pk_live_ publishable key names."
  value       = module.clerk_dns.frontend_api_host
}
