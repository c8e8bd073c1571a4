"""Screens of the reader app: dialogs and full-screen views pushed over the main one."""
