#!/bin/sh
# Rebuilds the example organisation's stand-in MSIs with wixl (Debian: apt-get install -y wixl) and
# prints the SHA-256 each policy must name. A rebuild changes the bytes (wixl stamps a new PackageCode),
# so update the sha256 in the policies afterwards.
set -eu
cd "$(dirname "$0")"
wixl -a x64 -o stand-in-DefenderPlugin-x64-1.24.522.2.msi stand-in-defender-plugin.wxs
wixl -a x64 -o stand-in-IntuneWSLPluginInstaller-1.25.04.0.msi stand-in-intune-wsl-plugin.wxs
sha256sum stand-in-*.msi
