// Realistic dpkg database fixtures for the dpkg tests.

/** A status file: installed packages (epoch, "+" versions, a Source with version), one config-files remnant. */
export const STATUS = `Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12986
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Depends: libgcc-s1
Recommends: libidn2-0 (>= 2.0.5~)
Suggests: glibc-doc, debconf | debconf-2.0, libc-l10n, locales, libnss-nis, libnss-nisplus
Breaks: aide (<< 0.17.3-4+b3), busybox (<< 1.30.1-6), hurd (<< 1:0.9.git20220301-2)
Conffiles:
 /etc/ld.so.conf.d/x86_64-linux-gnu.conf d09e1ee2a0e1cd8a4e7d83c8a3e0e1f6
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system. This package includes shared versions of the standard C library
 .
 and the standard math library, as well as many others.
Homepage: https://www.gnu.org/software/libc/libc.html

Package: bsdutils
Essential: yes
Status: install ok installed
Priority: required
Section: utils
Installed-Size: 335
Maintainer: util-linux packagers <util-linux@packages.debian.org>
Architecture: amd64
Multi-Arch: foreign
Source: util-linux (2.38.1-5)
Version: 1:2.38.1-5+b1
Description: basic utilities from 4.4BSD-Lite
 This package contains the bits and pieces that are shared by all BSD utilities.

Package: oldpkg
Status: deinstall ok config-files
Priority: optional
Section: misc
Maintainer: Someone <someone@example.org>
Architecture: all
Version: 0.9-1
Conffiles:
 /etc/oldpkg.conf 1f1b6b4ccd1c1e7f3f4c0bd0e7b6ad4e obsolete
Description: a removed package whose configuration remains

Package: tzdata
Status: hold ok installed
Priority: required
Section: localization
Installed-Size: 3497
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: all
Multi-Arch: foreign
Version: 2024a-0+deb12u1
Provides: tzdata-bookworm
Depends: debconf (>= 0.5) | debconf-2.0
Description: time zone and daylight-saving time data

Package: halfpkg
Status: install reinstreq half-installed
Maintainer: Someone <someone@example.org>
Architecture: amd64
Version: 1.0-1
Description: a package whose installation failed

Package: base-files
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Installed-Size: 341
Maintainer: Santiago Vila <sanvila@debian.org>
Architecture: amd64
Multi-Arch: foreign
Version: 12.4+deb12u5
Replaces: base, dpkg (<= 1.15.0), miscutils
Provides: base
Conffiles:
 /etc/debian_version 3ef5e6b2dbd1f7a6a1a2b8a8c0e3f2a1
Description: Debian base system miscellaneous files
`;

/** A DEP-5 copyright file with several Files paragraphs and stand-alone License paragraphs. */
export const GLIBC_COPYRIGHT = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: glibc
Source: https://www.gnu.org/software/libc/libc.html

Files: *
Copyright: 1991-2023 Free Software Foundation, Inc.
License: LGPL-2.1+
 This library is free software; you can redistribute it and/or
 modify it under the terms of the GNU Lesser General Public
 .
 On Debian systems, the complete text of the GNU Library General Public License
 can be found in /usr/share/common-licenses/LGPL-2.1.

Files: sunrpc/*
Copyright: 2010 Oracle America, Inc.
License: BSD-3-clause

Files: debian/*
Copyright: 1997-2023 Debian glibc team
License: GPL-2+ or Expat

Files: timezone/*
Copyright: none
License: public-domain

License: BSD-3-clause
 Redistribution and use in source and binary forms, with or without
 modification, are permitted provided that the following conditions are met:

License: GPL-2+
 This program is free software.
`;
