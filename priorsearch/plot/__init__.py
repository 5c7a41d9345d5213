"""Drawing: functions over data objects, and the committed style."""
from .phase import plot_phase, PALETTE
from .style import style, save_figure, FIGURE_EXTENSIONS

__all__ = ['plot_phase', 'PALETTE', 'style', 'save_figure', 'FIGURE_EXTENSIONS']
