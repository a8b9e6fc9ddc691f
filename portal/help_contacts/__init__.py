"""Help from abroad: KBRI/KJRI and the ministry's hotlines per destination country."""
