# Clerk's production DNS in a Route 53 hosted zone you already have. Copy
# terraform.tfvars.example to terraform.tfvars, fill in what Clerk's dashboard shows, then:
#   terraform init && terraform plan && terraform apply
terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = var.aws_region
}

data "aws_route53_zone" "main" {
  name = var.domain
}

module "clerk_dns" {
  source = "../../clerk-dns"

  zone_id       = data.aws_route53_zone.main.zone_id
  domain        = var.domain
  cname_records = var.clerk_cname_records
  ttl           = var.ttl
}
