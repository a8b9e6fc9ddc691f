"""Help from abroad (issue 16): KBRI/KJRI and the ministry's hotlines per destination country."""
