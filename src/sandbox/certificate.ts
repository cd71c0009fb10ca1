// Self-signed leaf certificate and key of the OVH SMS API simulator, for 127.0.0.1 and localhost only (valid 2025-2055).
// Not a CA (CA:FALSE, no keyCertSign): the key ships with the package, so a CA would let anyone mint certificates
// for other hosts that whoever trusts it accepts. Only the OVH client's own agent trusts it, never the process.
export const SANDBOX_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBuDCCAV+gAwIBAgIBAjAKBggqhkjOPQQDAjAsMSowKAYDVQQDDCFzbXMtY2Ft
cGFpZ25zIHNhbmRib3ggKHRlc3Qgb25seSkwIBcNMjUwMTAxMDAwMDAwWhgPMjA1
NTEyMzEwMDAwMDBaMCwxKjAoBgNVBAMMIXNtcy1jYW1wYWlnbnMgc2FuZGJveCAo
dGVzdCBvbmx5KTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABG3j5VBGFYnLhuWt
OQ39M/w3+2/wu6XBMELxuQ8Ndfd0Js4K7FhfBTRKRkmA+BH31MfY7sK9tRg87TFY
WZFWfGWjcDBuMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgeAMBMGA1UdJQQM
MAoGCCsGAQUFBwMBMBoGA1UdEQQTMBGHBH8AAAGCCWxvY2FsaG9zdDAdBgNVHQ4E
FgQUocko/c/Th28Vb7GlrOQxcb1p7vIwCgYIKoZIzj0EAwIDRwAwRAIgbsmMgjG6
p8hvpVtRENccar/JbJO6Rs100Jh2MlnWcmACIA9u06N+UOBuAFl9TbG4iK8YQsXb
ghFKcN/p4kcl+0x/
-----END CERTIFICATE-----
`;
export const SANDBOX_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgu/yzOopi9QQb6/YW
jP0gxhi2EmKOU2H2L4zg7JHmUpKhRANCAARt4+VQRhWJy4blrTkN/TP8N/tv8Lul
wTBC8bkPDXX3dCbOCuxYXwU0SkZJgPgR99TH2O7CvbUYPO0xWFmRVnxl
-----END PRIVATE KEY-----
`;
